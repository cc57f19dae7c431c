sentence = "  the sky   is blue  "
print(repr(" ".join(reversed(sentence.split()))))
print(repr(" ".join(w[::-1] for w in sentence.split())))
def reverse_in_place(chars):
    l, r = 0, len(chars) - 1
    while l < r:
        chars[l], chars[r] = chars[r], chars[l]
        l += 1; r -= 1
    return chars
print(reverse_in_place(list("hello")))
