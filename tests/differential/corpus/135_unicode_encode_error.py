s = "naïve café"
print(s.encode("utf-8"))
print(s.encode("ascii", errors="replace"), s.encode("ascii", errors="ignore"))
s.encode("ascii")
