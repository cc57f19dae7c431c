import resource
for name in ["RLIMIT_CPU", "RLIMIT_NOFILE", "RLIMIT_AS", "RLIMIT_CORE", "RLIMIT_FSIZE"]:
    soft, hard = resource.getrlimit(getattr(resource, name))
    print(name, soft, hard)
