"""Make photos.h5: a few small public-domain / CC0 photographs and textures, for the convolution
notebooks (hand-made filters in c4w1a, style transfer in c4w4b).

Source: the sample images bundled inside the scikit-image package (skimage.data, version pinned in
requirements-data.txt; nothing is downloaded). The licence of each image is the one stated in its
skimage.data docstring, copied into the file next to the image:

    astronaut  Eileen Collins, NASA Great Images database; public domain (no known copyright)
    rocket     DSCOVR launch on Falcon 9, SpaceX photos; released into the public domain
    coffee     coffee cup, Rachel Michetti for Pikolo Espresso Bar; CC0
    chelsea    Chelsea the cat, Stefan van der Walt; CC0
    brick      brick wall texture, CC0Textures (Bricks25); CC0
    grass      grass texture, linolafett on DeviantArt (Grass-01); CC0
    gravel     gravel texture, CC0Textures (Gravel04); CC0

Each image is resized (anti-aliased) so that its longest side is 128 pixels, rounded to uint8.
Photographs stay RGB (n_H, n_W, 3); the textures are grey (n_H, n_W).

Contents: one uint8 dataset per image, named as above; `names` (7,) the image names in order;
`provenance` (7,) one string per image: what it shows, where it comes from, its licence.
Each image dataset also carries the same string as its HDF5 attribute "provenance".
Deterministic: rebuilding gives the same arrays.
"""
from pathlib import Path

import h5py
import numpy as np

OUT = Path(__file__).resolve().parent / "photos.h5"
LONGEST_SIDE = 128

IMAGES = {
    "astronaut": "Eileen Collins, NASA astronaut; NASA Great Images database (https://flic.kr/p/r9qvLn) "
                 "via scikit-image skimage.data.astronaut; public domain (no known copyright restrictions)",
    "rocket": "launch of DSCOVR on a Falcon 9, SpaceX photos "
              "(https://www.flickr.com/photos/spacexphotos/16511594820/) via skimage.data.rocket; "
              "released into the public domain by SpaceX",
    "coffee": "a cup of coffee, photograph by Rachel Michetti, courtesy of Pikolo Espresso Bar, "
              "via skimage.data.coffee; CC0 (no copyright restrictions)",
    "chelsea": "Chelsea the cat, photograph by Stefan van der Walt, via skimage.data.chelsea; "
               "CC0 (no copyright restrictions)",
    "brick": "brick wall texture (grey), CC0Textures Bricks25 (perspective-corrected, rotated, cropped by "
             "scikit-image) via skimage.data.brick; CC0",
    "grass": "grass texture (grey), linolafett on DeviantArt (Grass-01, cropped by scikit-image) "
             "via skimage.data.grass; CC0",
    "gravel": "gravel texture (grey), CC0Textures Gravel04 (rescaled and cropped by scikit-image) "
              "via skimage.data.gravel; CC0",
}


def shrink(image):
    """Resize so that the longest side is LONGEST_SIDE pixels; uint8 in, uint8 out."""
    from skimage.transform import resize

    scale = LONGEST_SIDE / max(image.shape[:2])
    shape = tuple(int(round(s * scale)) for s in image.shape[:2]) + image.shape[2:]
    out = resize(image.astype(np.float64), shape, order=1, anti_aliasing=True, preserve_range=True)
    return np.clip(np.round(out), 0, 255).astype(np.uint8)


def main():
    import skimage
    from skimage import data

    names = list(IMAGES)
    with h5py.File(OUT, "w", track_order=False) as f:
        for name in names:
            image = shrink(getattr(data, name)())
            ds = f.create_dataset(name, data=image, compression="gzip", compression_opts=9, track_times=False)
            ds.attrs["provenance"] = IMAGES[name]
            print(f"  {name:10s} {image.shape}")
        f.create_dataset("names", data=np.array([n.encode() for n in names]), track_times=False)
        f.create_dataset("provenance", data=np.array([IMAGES[n].encode() for n in names]), track_times=False)
        f.attrs["made_with"] = f"scikit-image {skimage.__version__}"
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
