import warnings
def old_api(x):
    warnings.warn("old_api is slow, use new_api", UserWarning)
    return x * 2
print(old_api(2))
print(old_api(3))
warnings.warn("a runtime warning", RuntimeWarning, stacklevel=1)
print("done")
