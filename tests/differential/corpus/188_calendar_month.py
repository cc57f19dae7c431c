import calendar
print(calendar.month(2024, 2))
print(calendar.isleap(2000), calendar.leapdays(1900, 2000), calendar.monthrange(2023, 2))
print(calendar.weekday(2024, 7, 4), calendar.day_name[calendar.weekday(2024, 7, 4)])
print(list(calendar.month_abbr)[1:4])
cal = calendar.TextCalendar(calendar.SUNDAY)
print(cal.formatmonth(2021, 5))
