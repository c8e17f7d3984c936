"""arraymerge.insert is np.insert for places in order (several at one place included)."""
import numpy as np
import pytest

from crosswire import arraymerge


@pytest.mark.parametrize("n,m", [(0, 4), (7, 0), (50, 20), (1000, 300)])
def test_insert_is_numpy_insert_for_places_in_order(n, m):
    rng = np.random.default_rng(n + m)
    values = np.sort(rng.integers(0, 100, n))
    extra = np.sort(rng.integers(0, 100, m))
    where = np.searchsorted(values, extra, "right")      # equal values: several at one place
    assert arraymerge.insert(values, where, extra).tolist() == np.insert(values, where, extra).tolist()
    assert arraymerge.insert(values, where, extra.astype(float)).dtype == np.insert(values.astype(float), where,
                                                                                   extra).dtype
