import locale
print(locale.getpreferredencoding(False), locale.getlocale())
print(locale.setlocale(locale.LC_ALL, ""))
print(locale.format_string("%.2f", 1234567.891, grouping=True), locale.str(3.5))
print(locale.localeconv()["decimal_point"])
