"""Mistake catalogue for c4w4a_face_verification: wrong variants (each must lose its item) and rewrites (full marks).

The right triplet loss is a SUM over the batch of per-triplet hinges max(||a-p||^2 - ||a-n||^2 + alpha, 0),
with squared distances; encodings are columns (d, m); "same person" means distance < threshold.
"""
from grader.catalogue import mistake, rewrite


# ---------------------------------------------------------------------------------------------- l2_normalize

@mistake("l2_normalize", "normalises the rows (axis=1) instead of the columns")
def l2_normalize(Z):
    return Z / np.sqrt(np.sum(Z ** 2, axis=1, keepdims=True))


@mistake("l2_normalize", "divides by the squared norm (forgets the square root)")
def l2_normalize(Z):
    return Z / np.sum(Z ** 2, axis=0, keepdims=True)


@mistake("l2_normalize", "divides by the norm of the whole matrix, not of each column")
def l2_normalize(Z):
    return Z / np.sqrt(np.sum(Z ** 2))


@mistake("l2_normalize", "divides by the L1 norm (sum of absolute values) of each column")
def l2_normalize(Z):
    return Z / np.sum(np.abs(Z), axis=0, keepdims=True)


@rewrite("l2_normalize", "uses np.linalg.norm(axis=0, keepdims=True)")
def l2_normalize(Z):
    return Z / np.linalg.norm(Z, axis=0, keepdims=True)


@rewrite("l2_normalize", "loops over the columns")
def l2_normalize(Z):
    E = np.empty_like(Z, dtype=float)
    for i in range(Z.shape[1]):
        E[:, i] = Z[:, i] / np.sqrt(Z[:, i] @ Z[:, i])
    return E


# ---------------------------------------------------------------------------------------------- img_to_encoding

@mistake("img_to_encoding", "returns unnormalised encodings (forgets l2_normalize)")
def img_to_encoding(images, params):
    m = images.shape[0]
    Z1, _ = conv2d_forward(images, params["W1"], params["b1"], stride=1, pad=1)
    A1, _ = relu_forward(Z1)
    P1, _ = pool2d_forward(A1, 2, stride=2, mode="max")
    Z2, _ = conv2d_forward(P1, params["W2"], params["b2"], stride=1, pad=1)
    A2, _ = relu_forward(Z2)
    P2, _ = pool2d_forward(A2, 2, stride=2, mode="max")
    Z3, _ = linear_forward(P2.reshape(m, -1).T, params["W3"], params["b3"])
    return Z3


@mistake("img_to_encoding", "flattens with P2.reshape(-1, m), mixing up the photos (no transpose)")
def img_to_encoding(images, params):
    m = images.shape[0]
    Z1, _ = conv2d_forward(images, params["W1"], params["b1"], stride=1, pad=1)
    A1, _ = relu_forward(Z1)
    P1, _ = pool2d_forward(A1, 2, stride=2, mode="max")
    Z2, _ = conv2d_forward(P1, params["W2"], params["b2"], stride=1, pad=1)
    A2, _ = relu_forward(Z2)
    P2, _ = pool2d_forward(A2, 2, stride=2, mode="max")
    Z3, _ = linear_forward(P2.reshape(-1, m), params["W3"], params["b3"])
    return l2_normalize(Z3)


@mistake("img_to_encoding", "forgets the ReLUs after the convolutions")
def img_to_encoding(images, params):
    m = images.shape[0]
    Z1, _ = conv2d_forward(images, params["W1"], params["b1"], stride=1, pad=1)
    P1, _ = pool2d_forward(Z1, 2, stride=2, mode="max")
    Z2, _ = conv2d_forward(P1, params["W2"], params["b2"], stride=1, pad=1)
    P2, _ = pool2d_forward(Z2, 2, stride=2, mode="max")
    Z3, _ = linear_forward(P2.reshape(m, -1).T, params["W3"], params["b3"])
    return l2_normalize(Z3)


@mistake("img_to_encoding", "uses average pooling instead of max pooling")
def img_to_encoding(images, params):
    m = images.shape[0]
    Z1, _ = conv2d_forward(images, params["W1"], params["b1"], stride=1, pad=1)
    A1, _ = relu_forward(Z1)
    P1, _ = pool2d_forward(A1, 2, stride=2, mode="average")
    Z2, _ = conv2d_forward(P1, params["W2"], params["b2"], stride=1, pad=1)
    A2, _ = relu_forward(Z2)
    P2, _ = pool2d_forward(A2, 2, stride=2, mode="average")
    Z3, _ = linear_forward(P2.reshape(m, -1).T, params["W3"], params["b3"])
    return l2_normalize(Z3)


@mistake("img_to_encoding", "normalises the flattened features before the dense layer instead of its output")
def img_to_encoding(images, params):
    m = images.shape[0]
    Z1, _ = conv2d_forward(images, params["W1"], params["b1"], stride=1, pad=1)
    A1, _ = relu_forward(Z1)
    P1, _ = pool2d_forward(A1, 2, stride=2, mode="max")
    Z2, _ = conv2d_forward(P1, params["W2"], params["b2"], stride=1, pad=1)
    A2, _ = relu_forward(Z2)
    P2, _ = pool2d_forward(A2, 2, stride=2, mode="max")
    Z3, _ = linear_forward(l2_normalize(P2.reshape(m, -1).T), params["W3"], params["b3"])
    return Z3


@rewrite("img_to_encoding", "loops over the two conv blocks and writes the dense layer and the norm by hand")
def img_to_encoding(images, params):
    A = images
    for k in (1, 2):
        Z, _ = conv2d_forward(A, params[f"W{k}"], params[f"b{k}"], stride=1, pad=1)
        A, _ = pool2d_forward(np.maximum(Z, 0), 2, stride=2, mode="max")
    F = A.reshape(A.shape[0], -1).T
    Z = params["W3"] @ F + params["b3"]
    return Z / np.linalg.norm(Z, axis=0, keepdims=True)


@rewrite("img_to_encoding", "builds the encoder from the framework's layers with the given weights")
def img_to_encoding(images, params):
    c1, c2, dense = Conv2D(images.shape[3], params["W1"].shape[3], 3, pad=1), \
        Conv2D(params["W1"].shape[3], params["W2"].shape[3], 3, pad=1), Linear(params["W3"].shape[1], params["W3"].shape[0])
    c1.params.update(W=params["W1"], b=params["b1"])
    c2.params.update(W=params["W2"], b=params["b2"])
    dense.params.update(W=params["W3"], b=params["b3"])
    model = Sequential(c1, ReLU(), MaxPool2D(2), c2, ReLU(), MaxPool2D(2), Flatten(), dense)
    return l2_normalize(model.forward(images))


# ---------------------------------------------------------------------------------------------- triplet_loss

@mistake("triplet_loss", "leaves out the hinge: sums ||a-p||^2 - ||a-n||^2 + alpha without max(., 0)")
def triplet_loss(anchor, positive, negative, alpha):
    pos = np.sum((anchor - positive) ** 2, axis=0)
    neg = np.sum((anchor - negative) ** 2, axis=0)
    return float(np.sum(pos - neg + alpha))


@mistake("triplet_loss", "applies the hinge after summing over the batch, max(sum of l_i, 0), not per triplet")
def triplet_loss(anchor, positive, negative, alpha):
    pos = np.sum((anchor - positive) ** 2, axis=0)
    neg = np.sum((anchor - negative) ** 2, axis=0)
    return float(max(np.sum(pos - neg + alpha), 0.0))


@mistake("triplet_loss", "uses Euclidean distances, not squared distances")
def triplet_loss(anchor, positive, negative, alpha):
    pos = np.sqrt(np.sum((anchor - positive) ** 2, axis=0))
    neg = np.sqrt(np.sum((anchor - negative) ** 2, axis=0))
    return float(np.sum(np.maximum(pos - neg + alpha, 0.0)))


@mistake("triplet_loss", "subtracts the margin alpha instead of adding it")
def triplet_loss(anchor, positive, negative, alpha):
    pos = np.sum((anchor - positive) ** 2, axis=0)
    neg = np.sum((anchor - negative) ** 2, axis=0)
    return float(np.sum(np.maximum(pos - neg - alpha, 0.0)))


@mistake("triplet_loss", "takes the mean over the batch instead of the sum")
def triplet_loss(anchor, positive, negative, alpha):
    pos = np.sum((anchor - positive) ** 2, axis=0)
    neg = np.sum((anchor - negative) ** 2, axis=0)
    return float(np.mean(np.maximum(pos - neg + alpha, 0.0)))


@mistake("triplet_loss", "sums the squared differences over the batch axis (axis=1) instead of the encoding axis")
def triplet_loss(anchor, positive, negative, alpha):
    pos = np.sum((anchor - positive) ** 2, axis=1)
    neg = np.sum((anchor - negative) ** 2, axis=1)
    return float(np.sum(np.maximum(pos - neg + alpha, 0.0)))


@mistake("triplet_loss", "swaps the positive and the negative distances")
def triplet_loss(anchor, positive, negative, alpha):
    pos = np.sum((anchor - positive) ** 2, axis=0)
    neg = np.sum((anchor - negative) ** 2, axis=0)
    return float(np.sum(np.maximum(neg - pos + alpha, 0.0)))


@rewrite("triplet_loss", "loops over the triplets with np.linalg.norm")
def triplet_loss(anchor, positive, negative, alpha):
    loss = 0.0
    for i in range(anchor.shape[1]):
        gap = np.linalg.norm(anchor[:, i] - positive[:, i]) ** 2 - np.linalg.norm(anchor[:, i] - negative[:, i]) ** 2
        loss += max(gap + alpha, 0.0)
    return loss


@rewrite("triplet_loss", "uses einsum and the positive part (l + |l|) / 2")
def triplet_loss(anchor, positive, negative, alpha):
    dp, dn = anchor - positive, anchor - negative
    ell = np.einsum("ij,ij->j", dp, dp) - np.einsum("ij,ij->j", dn, dn) + alpha
    return float(np.sum((ell + np.abs(ell)) / 2))


# ---------------------------------------------------------------------------------------------- triplet_loss_backward

@mistake("triplet_loss_backward", "forgets the hinge mask: every triplet gets a gradient, active or not")
def triplet_loss_backward(anchor, positive, negative, alpha):
    return 2 * (negative - positive), 2 * (positive - anchor), 2 * (anchor - negative)


@mistake("triplet_loss_backward", "masks with the hinge of the summed loss (all triplets or none), not per triplet")
def triplet_loss_backward(anchor, positive, negative, alpha):
    ell = np.sum((anchor - positive) ** 2, axis=0) - np.sum((anchor - negative) ** 2, axis=0) + alpha
    on = float(np.sum(ell) > 0)
    return 2 * (negative - positive) * on, 2 * (positive - anchor) * on, 2 * (anchor - negative) * on


@mistake("triplet_loss_backward", "forgets the factor 2 of the derivative of a square")
def triplet_loss_backward(anchor, positive, negative, alpha):
    ell = np.sum((anchor - positive) ** 2, axis=0) - np.sum((anchor - negative) ** 2, axis=0) + alpha
    on = (ell > 0).astype(float)
    return (negative - positive) * on, (positive - anchor) * on, (anchor - negative) * on


@mistake("triplet_loss_backward", "gets the sign of d_negative wrong: 2 (negative - anchor)")
def triplet_loss_backward(anchor, positive, negative, alpha):
    ell = np.sum((anchor - positive) ** 2, axis=0) - np.sum((anchor - negative) ** 2, axis=0) + alpha
    on = (ell > 0).astype(float)
    return 2 * (negative - positive) * on, 2 * (positive - anchor) * on, 2 * (negative - anchor) * on


@mistake("triplet_loss_backward", "gets the sign of d_anchor wrong: 2 (positive - negative)")
def triplet_loss_backward(anchor, positive, negative, alpha):
    ell = np.sum((anchor - positive) ** 2, axis=0) - np.sum((anchor - negative) ** 2, axis=0) + alpha
    on = (ell > 0).astype(float)
    return 2 * (positive - negative) * on, 2 * (positive - anchor) * on, 2 * (anchor - negative) * on


@mistake("triplet_loss_backward", "divides by m (the gradient of the mean, not of the sum)")
def triplet_loss_backward(anchor, positive, negative, alpha):
    m = anchor.shape[1]
    ell = np.sum((anchor - positive) ** 2, axis=0) - np.sum((anchor - negative) ** 2, axis=0) + alpha
    on = (ell > 0).astype(float) / m
    return 2 * (negative - positive) * on, 2 * (positive - anchor) * on, 2 * (anchor - negative) * on


@rewrite("triplet_loss_backward", "selects the active columns with np.where")
def triplet_loss_backward(anchor, positive, negative, alpha):
    ell = np.sum((anchor - positive) ** 2, axis=0) - np.sum((anchor - negative) ** 2, axis=0) + alpha
    active = ell > 0
    d_anchor = np.where(active, 2 * (negative - positive), 0.0)
    d_positive = np.where(active, 2 * (positive - anchor), 0.0)
    d_negative = np.where(active, 2 * (anchor - negative), 0.0)
    return d_anchor, d_positive, d_negative


@rewrite("triplet_loss_backward", "loops over the triplets, filling zero arrays")
def triplet_loss_backward(anchor, positive, negative, alpha):
    d_anchor, d_positive, d_negative = np.zeros(anchor.shape), np.zeros(anchor.shape), np.zeros(anchor.shape)
    for i in range(anchor.shape[1]):
        a, p, n = anchor[:, i], positive[:, i], negative[:, i]
        if np.sum((a - p) ** 2) - np.sum((a - n) ** 2) + alpha > 0:
            d_anchor[:, i] = 2 * (n - p)
            d_positive[:, i] = 2 * (p - a)
            d_negative[:, i] = 2 * (a - n)
    return d_anchor, d_positive, d_negative


# ---------------------------------------------------------------------------------------------- roc_curve

@mistake("roc_curve", "returns the two rates swapped, (tpr, fpr)")
def roc_curve(distances, same, thresholds):
    distances, same, thresholds = np.asarray(distances), np.asarray(same, dtype=bool), np.asarray(thresholds)
    accepted = distances[None, :] < thresholds[:, None]
    return np.sum(accepted & same, axis=1) / np.sum(same), np.sum(accepted & ~same, axis=1) / np.sum(~same)


@mistake("roc_curve", "accepts pairs whose distance is above the threshold (the wrong side)")
def roc_curve(distances, same, thresholds):
    distances, same, thresholds = np.asarray(distances), np.asarray(same, dtype=bool), np.asarray(thresholds)
    accepted = distances[None, :] > thresholds[:, None]
    return np.sum(accepted & ~same, axis=1) / np.sum(~same), np.sum(accepted & same, axis=1) / np.sum(same)


@mistake("roc_curve", "divides both counts by the number of all pairs, not of the same / different pairs")
def roc_curve(distances, same, thresholds):
    distances, same, thresholds = np.asarray(distances), np.asarray(same, dtype=bool), np.asarray(thresholds)
    accepted = distances[None, :] < thresholds[:, None]
    return np.sum(accepted & ~same, axis=1) / same.size, np.sum(accepted & same, axis=1) / same.size


@mistake("roc_curve", "computes the share of accepted pairs that are genuine (precision) as the true positive rate")
def roc_curve(distances, same, thresholds):
    distances, same, thresholds = np.asarray(distances), np.asarray(same, dtype=bool), np.asarray(thresholds)
    accepted = distances[None, :] < thresholds[:, None]
    n_accepted = np.maximum(np.sum(accepted, axis=1), 1)
    return np.sum(accepted & ~same, axis=1) / np.sum(~same), np.sum(accepted & same, axis=1) / n_accepted


@rewrite("roc_curve", "loops over the thresholds with np.mean on each class")
def roc_curve(distances, same, thresholds):
    distances, same = np.asarray(distances), np.asarray(same, dtype=bool)
    fpr = np.array([np.mean(distances[~same] < t) for t in thresholds])
    tpr = np.array([np.mean(distances[same] < t) for t in thresholds])
    return fpr, tpr


@rewrite("roc_curve", "counts with np.searchsorted on the sorted distances of each class")
def roc_curve(distances, same, thresholds):
    distances, same = np.asarray(distances), np.asarray(same, dtype=bool)
    pos, neg = np.sort(distances[same]), np.sort(distances[~same])
    return np.searchsorted(neg, thresholds, side="left") / neg.size, np.searchsorted(pos, thresholds, side="left") / pos.size


# ---------------------------------------------------------------------------------------------- best_threshold

@mistake("best_threshold", "tries the distances themselves as thresholds instead of the midpoints between them")
def best_threshold(distances, same):
    distances, same = np.asarray(distances), np.asarray(same, dtype=bool)
    candidates = np.sort(distances)
    correct = np.sum((distances[None, :] < candidates[:, None]) == same[None, :], axis=1)
    k = int(np.argmax(correct))
    return float(candidates[k]), float(correct[k] / same.size)


@mistake("best_threshold", "returns the error rate instead of the accuracy")
def best_threshold(distances, same):
    distances, same = np.asarray(distances), np.asarray(same, dtype=bool)
    s = np.sort(distances)
    candidates = (s[:-1] + s[1:]) / 2
    correct = np.sum((distances[None, :] < candidates[:, None]) == same[None, :], axis=1)
    k = int(np.argmax(correct))
    return float(candidates[k]), float(1 - correct[k] / same.size)


@mistake("best_threshold", "maximises the balanced accuracy (TPR + TNR) / 2 instead of the accuracy")
def best_threshold(distances, same):
    distances, same = np.asarray(distances), np.asarray(same, dtype=bool)
    s = np.sort(distances)
    candidates = (s[:-1] + s[1:]) / 2
    fpr, tpr = roc_curve(distances, same, candidates)
    balanced = (tpr + 1 - fpr) / 2
    k = int(np.argmax(balanced))
    return float(candidates[k]), float(balanced[k])


@mistake("best_threshold", "counts a pair as 'same' when its distance is above the threshold")
def best_threshold(distances, same):
    distances, same = np.asarray(distances), np.asarray(same, dtype=bool)
    s = np.sort(distances)
    candidates = (s[:-1] + s[1:]) / 2
    correct = np.sum((distances[None, :] > candidates[:, None]) == same[None, :], axis=1)
    k = int(np.argmax(correct))
    return float(candidates[k]), float(correct[k] / same.size)


@rewrite("best_threshold", "uses roc_curve and integer counts of each class")
def best_threshold(distances, same):
    distances, same = np.asarray(distances), np.asarray(same, dtype=bool)
    s = np.sort(distances)
    candidates = (s[:-1] + s[1:]) / 2
    fpr, tpr = roc_curve(distances, same, candidates)
    n_same, n_diff = int(same.sum()), int((~same).sum())
    correct = np.round(tpr * n_same).astype(int) + n_diff - np.round(fpr * n_diff).astype(int)
    k = int(np.argmax(correct))
    return float(candidates[k]), correct[k] / same.size


@rewrite("best_threshold", "loops over the midpoints, keeping the first best")
def best_threshold(distances, same):
    order = np.argsort(distances)
    d, y = np.asarray(distances)[order], np.asarray(same, dtype=bool)[order]
    best, best_t = -1, None
    for k in range(len(d) - 1):
        t = (d[k] + d[k + 1]) / 2
        correct = int(np.sum(y[:k + 1])) + int(np.sum(~y[k + 1:]))
        if correct > best:
            best, best_t = correct, t
    return float(best_t), best / len(d)


# ---------------------------------------------------------------------------------------------- verify

@mistake("verify", "accepts when the distance is above the threshold (the wrong side)")
def verify(image, identity, database, params, threshold):
    dist = float(np.linalg.norm(img_to_encoding(image, params) - database[identity]))
    return dist, bool(dist > threshold)


@mistake("verify", "uses the squared distance")
def verify(image, identity, database, params, threshold):
    dist = float(np.sum((img_to_encoding(image, params) - database[identity]) ** 2))
    return dist, bool(dist < threshold)


@mistake("verify", "uses the L1 distance (sum of absolute differences)")
def verify(image, identity, database, params, threshold):
    dist = float(np.sum(np.abs(img_to_encoding(image, params) - database[identity])))
    return dist, bool(dist < threshold)


@mistake("verify", "compares with the nearest person of the database instead of the claimed identity")
def verify(image, identity, database, params, threshold):
    encoding = img_to_encoding(image, params)
    dist = min(float(np.linalg.norm(encoding - e)) for e in database.values())
    return dist, bool(dist < threshold)


@rewrite("verify", "computes the distance with np.sqrt of a dot product and returns np.bool_")
def verify(image, identity, database, params, threshold):
    diff = (img_to_encoding(image, params) - database[identity]).ravel()
    dist = float(np.sqrt(diff @ diff))
    return dist, np.bool_(dist < threshold)


# ---------------------------------------------------------------------------------------------- who_is_it

@mistake("who_is_it", "returns the farthest person (largest distance) instead of the nearest")
def who_is_it(image, database, params, threshold):
    encoding = img_to_encoding(image, params)
    max_dist, identity = -1.0, None
    for name, e in database.items():
        dist = float(np.linalg.norm(encoding - e))
        if dist > max_dist:
            max_dist, identity = dist, name
    return max_dist, identity if max_dist < threshold else "unknown"


@mistake("who_is_it", "ignores the threshold: always names the nearest person, never 'unknown'")
def who_is_it(image, database, params, threshold):
    encoding = img_to_encoding(image, params)
    dists = {name: float(np.linalg.norm(encoding - e)) for name, e in database.items()}
    identity = min(dists, key=dists.get)
    return dists[identity], identity


@mistake("who_is_it", "says 'unknown' when the smallest distance is below the threshold (the wrong side)")
def who_is_it(image, database, params, threshold):
    encoding = img_to_encoding(image, params)
    dists = {name: float(np.linalg.norm(encoding - e)) for name, e in database.items()}
    identity = min(dists, key=dists.get)
    return dists[identity], identity if dists[identity] > threshold else "unknown"


@mistake("who_is_it", "uses the squared distance")
def who_is_it(image, database, params, threshold):
    encoding = img_to_encoding(image, params)
    dists = {name: float(np.sum((encoding - e) ** 2)) for name, e in database.items()}
    identity = min(dists, key=dists.get)
    return dists[identity], identity if dists[identity] < threshold else "unknown"


@mistake("who_is_it", "updates the answer for every entry (keeps the last person, not the nearest)")
def who_is_it(image, database, params, threshold):
    encoding = img_to_encoding(image, params)
    for name, e in database.items():
        min_dist, identity = float(np.linalg.norm(encoding - e)), name
    return min_dist, identity if min_dist < threshold else "unknown"


@rewrite("who_is_it", "stacks the database into one matrix and uses np.argmin")
def who_is_it(image, database, params, threshold):
    names = list(database)
    stacked = np.concatenate([database[n] for n in names], axis=1)          # (d, K)
    dists = np.linalg.norm(stacked - img_to_encoding(image, params), axis=0)
    k = int(np.argmin(dists))
    return float(dists[k]), names[k] if dists[k] < threshold else "unknown"
