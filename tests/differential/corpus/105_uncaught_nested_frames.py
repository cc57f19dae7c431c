class Parser:
    def parse(self, tokens):
        return [self.parse_token(t) for t in tokens]
    def parse_token(self, tok):
        return self.convert(tok)
    def convert(self, tok):
        return int(tok)
p = Parser()
print(p.parse(["1", "2"]))
def main():
    return p.parse(["3", "four", "5"])
main()
