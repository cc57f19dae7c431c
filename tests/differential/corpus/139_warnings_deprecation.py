import warnings
def legacy():
    warnings.warn("legacy() is deprecated", DeprecationWarning, stacklevel=2)
    return 1
print(legacy())
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    legacy()
    legacy()
print(len(caught), [str(w.message) for w in caught], caught[0].category.__name__)
warnings.warn("future change", FutureWarning)
