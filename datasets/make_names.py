"""Make names.txt (and names.LICENSE beside it): 32,032 lower-case first names, one per line.

Source: the most common first names of the US Social Security Administration's 2018 baby-name
statistics, as packaged in the makemore project (repository karpathy/makemore, commit 988aa59,
file names.txt), MIT licence (names.LICENSE, Copyright (c) 2022 Andrej Karpathy). The project keeps
a copy in ../shared/data/; this script copies it unchanged and checks its SHA-256.
"""
import hashlib
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent / "shared" / "data"
SHA256 = "0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d"


def main():
    digest = hashlib.sha256((SOURCE / "names.txt").read_bytes()).hexdigest()
    if digest != SHA256:
        raise SystemExit(f"{SOURCE / 'names.txt'}: SHA-256 {digest}, expected {SHA256}")
    for name in ("names.txt", "names.LICENSE"):
        shutil.copyfile(SOURCE / name, HERE / name)
    n = len((HERE / "names.txt").read_text().split())
    print(f"wrote {HERE / 'names.txt'} ({n} names) and names.LICENSE")


if __name__ == "__main__":
    main()
