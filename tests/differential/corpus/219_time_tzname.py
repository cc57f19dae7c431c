import time
print(time.tzname, time.timezone, time.daylight)
print(time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(1700000000)))
print(time.strftime("%a %b %d %Y", time.localtime(1700000000)))
print(time.mktime(time.strptime("2000-01-01", "%Y-%m-%d")))
