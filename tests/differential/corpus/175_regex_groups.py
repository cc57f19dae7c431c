import re
log = """2024-01-15 10:23:45 ERROR [db] connection lost
2024-01-15 10:24:00 INFO [web] request served
2024-01-16 08:00:01 WARN [db] slow query"""
pat = re.compile(r"(?P<date>\d{4}-\d{2}-\d{2}) (?P<time>[\d:]+) (?P<level>\w+) \[(?P<comp>\w+)\] (?P<msg>.*)")
for m in pat.finditer(log):
    print(m.group("level"), m["comp"], m.groupdict()["msg"])
m = pat.match(log)
print(m.groups()[:3], m.start("level"), m.end("level"))
print(re.findall(r"(\w+)=(\d+)", "a=1, b=22, c=x"))
print(re.sub(r"(?i)error", "E", "Error error ERROR"))
print(re.findall(r"^\d+", "1a\n22b\n333c", flags=re.M))
