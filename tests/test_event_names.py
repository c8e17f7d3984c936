"""event_names: one person named in full by one outlet and by family name only by another
is one speaker within an event."""
import hashlib

import pytest

from crosswire.event_names import full_names


def spk(name):
    return "spk_" + hashlib.sha256(name.lower().encode()).hexdigest()[:16]


def said(*names, kind="person"):
    return [{"speaker_id": spk(n), "speaker_name": n, "speaker_kind": kind} for n in names]


def test_a_family_name_is_the_one_person_of_the_event_who_bears_it():
    assert full_names(said("Renquist", "Tobias Renquist", "Mirela Vantongeren")) == \
        {spk("Renquist"): (spk("Tobias Renquist"), "Tobias Renquist")}


def test_two_people_of_one_family_name_leave_it_alone():
    assert full_names(said("Trump", "Donald Trump", "Melania Trump")) == {}


def test_nested_longer_names_are_one_person():
    # "de Blasio" holds "Blasio" and "Bill de Blasio" holds both
    assert full_names(said("de Blasio", "Bill de Blasio", "Blasio")) == {
        spk("de Blasio"): (spk("Bill de Blasio"), "Bill de Blasio"),
        spk("Blasio"): (spk("Bill de Blasio"), "Bill de Blasio")}


@pytest.mark.parametrize("kind", ["organisation", "group"])
def test_only_people_are_merged(kind):
    # "the Commission" is not "European Commission"'s person; bodies keep their names
    assert full_names(said("Commission", kind=kind) + said("Electoral Commission", kind=kind)) == {}


def test_a_name_is_not_a_tail_of_itself_in_other_case():
    assert full_names(said("Tobias Renquist") + said("tobias renquist")) == {}
