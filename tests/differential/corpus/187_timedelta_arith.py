from datetime import timedelta, date, datetime
td = timedelta(days=2, hours=5, minutes=30)
print(td, td.total_seconds(), td * 2, td / 3, -td)
print(timedelta(seconds=90061), timedelta(milliseconds=1500), abs(timedelta(days=-1, hours=2)))
start = date(2024, 1, 31)
print([str(start + timedelta(days=30 * i)) for i in range(4)])
def business_days(a, b):
    n = 0
    d = a
    while d < b:
        if d.weekday() < 5:
            n += 1
        d += timedelta(days=1)
    return n
print(business_days(date(2024, 3, 1), date(2024, 4, 1)))
born = datetime(1990, 6, 15, 8, 30)
print((datetime(2024, 6, 15, 8, 30) - born).days // 365)
