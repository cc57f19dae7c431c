import warnings
warnings.simplefilter("error", UserWarning)
try:
    warnings.warn("treated as error")
except UserWarning as e:
    print("caught warning as exception:", e)
warnings.resetwarnings()
warnings.filterwarnings("ignore", message="quiet.*")
warnings.warn("quiet please")
warnings.warn("loud one")
print("end")
