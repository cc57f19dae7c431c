from pathlib import Path
base = Path("project")
(base / "src").mkdir(parents=True)
(base / "src" / "app.py").write_text("print('app')\n")
(base / "README.md").write_text("# Project\n")
print(sorted(str(p) for p in base.rglob("*")))
p = base / "src" / "app.py"
print(p.name, p.stem, p.suffix, p.parent, p.exists(), p.is_file(), p.read_text().strip())
print(Path("a/b/c.tar.gz").suffixes, Path("/tmp").is_dir(), Path.cwd())
print(Path(__file__).name, Path(__file__).resolve().parent)
print(p.with_suffix(".txt").name, sorted(x.name for x in base.iterdir()))
