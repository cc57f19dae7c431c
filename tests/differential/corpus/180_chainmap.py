from collections import ChainMap
defaults = {"color": "red", "user": "guest", "debug": False}
env = {"user": "admin"}
cli = {"debug": True}
cfg = ChainMap(cli, env, defaults)
print(cfg["color"], cfg["user"], cfg["debug"], len(cfg))
print(dict(sorted(cfg.items())))
child = cfg.new_child({"color": "blue"})
print(child["color"], cfg["color"])
