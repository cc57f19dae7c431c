class BankAccount:
    interest = 0.02
    def __init__(self, owner, balance=0):
        self.owner = owner
        self.balance = balance
    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("deposit must be positive")
        self.balance += amount
        return self.balance
    def withdraw(self, amount):
        if amount > self.balance:
            raise ValueError(f"insufficient funds: {self.balance} < {amount}")
        self.balance -= amount
        return self.balance
acct = BankAccount("Ann", 100)
print(acct.deposit(50), acct.withdraw(30))
try:
    acct.withdraw(500)
except ValueError as e:
    print("error:", e)
print(acct.owner, acct.balance, acct.interest, BankAccount.interest)
print(type(acct).__name__, isinstance(acct, BankAccount), hasattr(acct, "deposit"))
print(sorted(vars(acct)))
