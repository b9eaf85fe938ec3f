"""A fixed, random, untrained convolutional network that turns an image into features (c4w4b, style transfer).

Neural style transfer compares images through the activations of a convolutional network. The
classic recipe uses a large network pretrained on millions of photographs; this course runs
offline on a laptop CPU, so it uses a small stack of convolutions whose filters are drawn at random
once (from a seed) and never trained. Shallow random networks are known to synthesise textures
well (Ustyuzhaninov, Brendel, Gatys and Bethge, "Texture synthesis using shallow convolutional
networks with random filters", 2016); see the notebook for what this choice gives up.

The network, for L = len(filters) layers (images are (m, n_H, n_W, n_C), channels last):

    x = image - 0.5                           (pixels in [0, 1], centred)
    layer 0:   a[0] = ReLU(conv(x,      W[0]))
    layer l>0: a[l] = ReLU(conv(pool(a[l-1]), W[l]))      pool = 2 x 2 average pooling, stride 2

Each convolution has stride 1, "same" zero padding f // 2 (odd f) and no bias, so layer l sees the
image at 1 / 2**l of its resolution: its features describe larger and larger patches (about 3, 8, 18
and 38 pixels across for four 3 x 3 layers). Everything is built from utils/conv.py's
conv2d_forward/backward and pool2d_forward/backward.

    make_filters(channels, f, seed)        -> filters, a list of W[l] (f, f, channels[l], channels[l+1])
    features_forward(image, filters)       -> (activations, cache); activations[l] (m, n_H_l, n_W_l, n_C_l)
    features_backward(d_activations, cache) -> d_image (m, n_H, n_W, 3)
"""
import numpy as np

from conv import conv2d_backward, conv2d_forward, pool2d_backward, pool2d_forward

PIXEL_MEAN = 0.5          # subtracted from every pixel before the first convolution
CHANNELS = (3, 16, 32, 64, 128)


def make_filters(channels=CHANNELS, f=3, seed=0):
    """Random filters of the feature network, one (f, f, n_C_prev, n_C) array per layer.

    channels -- tuple (n_C_0 = 3, n_C_1, ..., n_C_L): the image's channels, then each layer's
    f -- odd int, the filters' height and width
    seed -- int, the seed of the generator (same seed, same network)

    Returns a list of L arrays W[l] (f, f, channels[l], channels[l + 1]), entries drawn from
    N(0, 2 / (f * f * channels[l])) (He scaling: activations keep roughly the same size from layer to layer).
    """
    if f % 2 != 1:
        raise ValueError(f"make_filters: f should be odd (for 'same' padding), got {f}")
    rng = np.random.default_rng(seed)
    return [rng.standard_normal((f, f, c_prev, c)) * np.sqrt(2.0 / (f * f * c_prev))
            for c_prev, c in zip(channels[:-1], channels[1:])]


def features_forward(image, filters):
    """The activations of every layer of the random network for a batch of images.

    image -- array (m, n_H, n_W, 3), pixels in [0, 1]
    filters -- list of L arrays W[l] (f, f, n_C_{l-1}, n_C_l), from make_filters

    Returns (activations, cache): activations is a list of L arrays, activations[l] of shape
    (m, n_H_l, n_W_l, n_C_l) with n_H_0 = n_H and n_H_l = n_H_{l-1} // 2 (likewise n_W_l), all >= 0
    (outputs of a ReLU); cache is what features_backward needs.
    """
    image = np.asarray(image)
    if image.ndim != 4 or image.shape[3] != np.shape(filters[0])[2]:
        raise ValueError(f"features_forward: image should be (m, n_H, n_W, {np.shape(filters[0])[2]}), "
                         f"got {image.shape}")
    x = image - PIXEL_MEAN
    activations, cache = [], []
    for l, W in enumerate(filters):
        pool_cache = None
        if l > 0:
            x, pool_cache = pool2d_forward(x, 2, mode="average")
        z, conv_cache = conv2d_forward(x, W, None, stride=1, pad=W.shape[0] // 2)
        x = np.maximum(z, 0.0)
        activations.append(x)
        cache.append((pool_cache, conv_cache, z > 0))
    return activations, cache


def features_backward(d_activations, cache):
    """Gradient of a cost with respect to the image, given its gradients with respect to the activations.

    d_activations -- list of L entries, one per layer: an array shaped like activations[l] (the
                     gradient of the cost with respect to activations[l], counting only the terms of
                     the cost that read that layer directly), or None when no term reads layer l
    cache -- from features_forward

    Returns d_image, array (m, n_H, n_W, 3): the gradient of the cost with respect to every pixel.
    """
    if len(d_activations) != len(cache):
        raise ValueError(f"features_backward: {len(cache)} layers, but {len(d_activations)} gradients")
    d_x = None                                       # gradient flowing down from the layers above
    for l in range(len(cache) - 1, -1, -1):
        pool_cache, conv_cache, positive = cache[l]
        d_a = d_activations[l]
        if d_x is not None:
            d_a = d_x if d_a is None else d_a + d_x
        if d_a is None:                              # nothing reads this layer or any layer above it
            continue
        d_x, _, _ = conv2d_backward(d_a * positive, conv_cache)
        if pool_cache is not None:
            d_x = pool2d_backward(d_x, pool_cache)
    if d_x is None:
        x_pad, _, _, _, pad = cache[0][1]
        d_x = np.zeros((x_pad.shape[0], x_pad.shape[1] - 2 * pad, x_pad.shape[2] - 2 * pad, x_pad.shape[3]))
    return d_x
