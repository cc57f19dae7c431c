import textwrap
text = ("Python is a high-level, general-purpose programming language. Its design philosophy "
        "emphasizes code readability with the use of significant indentation.")
print(textwrap.fill(text, width=40))
print(textwrap.wrap(text, 30)[:3])
print(textwrap.shorten(text, width=50, placeholder=" [...]"))
print(textwrap.indent("line a\nline b\n", "> "), end="")
print(textwrap.dedent("""
    indented
      more
    back
"""))
w = textwrap.TextWrapper(width=25, initial_indent="* ", subsequent_indent="  ")
print(w.fill(text))
