import os, secrets, uuid
with open(os.devnull, "w") as sink:
    print("this goes nowhere", file=sink)
print(os.devnull, os.path.exists("/dev/null"))
with open("/dev/urandom", "rb") as f:
    print(len(f.read(16)))
print(len(os.urandom(32)), len(secrets.token_hex(8)), uuid.uuid4().version)
with open("/dev/zero", "rb") as f:
    print(f.read(4))
