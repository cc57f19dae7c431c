from datetime import datetime, timezone
from zoneinfo import ZoneInfo
utc = datetime(2024, 3, 31, 0, 30, tzinfo=timezone.utc)
for tz in ["Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Sydney"]:
    local = utc.astimezone(ZoneInfo(tz))
    print(f"{tz:20} {local.isoformat()} {local.tzname()}")
dt = datetime(2024, 11, 3, 1, 30, tzinfo=ZoneInfo("America/New_York"))
print(dt.utcoffset(), dt.replace(fold=1).utcoffset())
