import geo


def test_all_is_sorted_and_importable():
    assert geo.__all__ == sorted(geo.__all__)
    for name in geo.__all__:
        assert hasattr(geo, name), name


def test_errors_also_inherit_builtins():
    assert issubclass(geo.InputError, ValueError)
    assert issubclass(geo.SpecError, ValueError)
    assert issubclass(geo.GeocoderUnavailable, OSError)
    assert issubclass(geo.InputError, geo.GeoError)
