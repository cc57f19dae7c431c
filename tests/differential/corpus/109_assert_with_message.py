def check_age(age):
    assert isinstance(age, int), f"age must be int, got {type(age).__name__}"
    return age
print(check_age(5))
check_age("five")
