import json
print(json.dumps([1]))
import numpy_not_installed_here
