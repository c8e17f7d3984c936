import pytest

from crosswire.sources import SourceError, load_sources, parse_source

GOOD = '''
name = "The Coastal Herald"
homepage = "https://herald.example.org"
country = "GB"
language = "en-GB"
kind = "regional"
feeds = ["https://herald.example.org/rss"]

[cleaning]
drop = ['^Most read$']
captions = ['^Pictured: ']
'''


def write(tmp_path, sid, text):
    folder = tmp_path / sid
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "source.toml").write_text(text, encoding="utf-8")
    return folder / "source.toml"


def test_a_good_source_toml_is_read_with_its_rules(tmp_path):
    src = parse_source(write(tmp_path, "herald", GOOD), "herald")
    assert (src.name, src.country, src.language, src.kind) == ("The Coastal Herald", "GB", "en-GB", "regional")
    assert src.feeds == ("https://herald.example.org/rss",)
    assert src.rules.drop == ("^Most read$",)
    assert src.row()["homepage"] == "https://herald.example.org"


@pytest.mark.parametrize("change, field", [
    (("country = \"GB\"", "country = \"Britain\""), "country"),
    (("kind = \"regional\"", "kind = \"blog\""), "kind"),
    (("homepage = \"https://herald.example.org\"", "homepage = \"ftp://herald\""), "homepage"),
    (("name = \"The Coastal Herald\"\n", ""), "name"),
    (("drop = ['^Most read$']", "drop = ['^(unclosed']"), "cleaning.drop"),
    (("feeds = [\"https://herald.example.org/rss\"]", "feeds = \"not a list\""), "feeds"),
])
def test_errors_name_the_file_and_the_field(tmp_path, change, field):
    path = write(tmp_path, "herald", GOOD.replace(*change))
    with pytest.raises(SourceError) as e:
        parse_source(path, "herald")
    assert str(path) in str(e.value) and f"'{field}'" in str(e.value)


def test_invalid_toml_and_bad_folder_names_are_refused(tmp_path):
    with pytest.raises(SourceError, match="not valid TOML"):
        parse_source(write(tmp_path, "broken", "name = [unclosed"), "broken")
    with pytest.raises(SourceError, match="not a lowercase slug"):
        parse_source(write(tmp_path, "Bad Name", GOOD), "Bad Name")


def test_load_sources_sets_aside_broken_folders_and_keeps_the_rest(tmp_path):
    write(tmp_path, "herald", GOOD)
    (tmp_path / "nosource").mkdir()
    write(tmp_path, "broken", "name = ")
    sources, rejected = load_sources(tmp_path)
    assert [s.source_id for s in sources] == ["herald"]
    assert {r["path"] for r in rejected} == {"nosource/source.toml", "broken/source.toml"}
    assert all(r["reason"] for r in rejected)
