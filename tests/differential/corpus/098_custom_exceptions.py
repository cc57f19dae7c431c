class AppError(Exception):
    """Base of the app's errors."""
class ValidationError(AppError):
    def __init__(self, field, message):
        super().__init__(f"{field}: {message}")
        self.field = field
class NotFound(AppError):
    pass
def validate(user):
    if "name" not in user:
        raise ValidationError("name", "required")
    if user.get("age", 0) < 0:
        raise ValidationError("age", "must be >= 0")
    if user["name"] == "ghost":
        raise NotFound("no such user")
    return True
for u in [{"name": "ann"}, {}, {"name": "x", "age": -1}, {"name": "ghost"}]:
    try:
        print(validate(u))
    except ValidationError as e:
        print("invalid", e.field, "|", e)
    except AppError as e:
        print(type(e).__name__, e, e.args)
print(ValidationError.__mro__[1].__name__, AppError.__doc__)
