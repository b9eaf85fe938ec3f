"""Mistake catalogue for c5w2a_word_vectors: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite


# ------------------------------------------------------------------------------- cosine_similarity

@mistake("cosine_similarity", "divides by the norm of u only (forgets the norm of v)")
def cosine_similarity(u, v):
    return np.dot(u, v) / np.linalg.norm(u)


@mistake("cosine_similarity", "takes the dot product of u with itself in the numerator")
def cosine_similarity(u, v):
    return np.dot(u, u) / (np.linalg.norm(u) * np.linalg.norm(v))


@mistake("cosine_similarity", "divides by the squared norms (sum of squares without the square root)")
def cosine_similarity(u, v):
    return np.dot(u, v) / (np.sum(u * u) * np.sum(v * v))


@mistake("cosine_similarity", "uses the sum of absolute values (L1 norm) instead of the Euclidean norm")
def cosine_similarity(u, v):
    return np.dot(u, v) / (np.sum(np.abs(u)) * np.sum(np.abs(v)))


@mistake("cosine_similarity", "returns the raw dot product u . v, without dividing by the norms")
def cosine_similarity(u, v):
    return np.dot(u, v)


@rewrite("cosine_similarity", "normalises both vectors first, then takes their dot product")
def cosine_similarity(u, v):
    return float(np.dot(u / np.linalg.norm(u), v / np.linalg.norm(v)))


@rewrite("cosine_similarity", "uses 1 - scipy's cosine distance")
def cosine_similarity(u, v):
    from scipy.spatial.distance import cosine
    return 1.0 - cosine(u, v)


# -------------------------------------------------------------------------------- complete_analogy

@mistake("complete_analogy", "does not skip the three input words, so it can return one of them")
def complete_analogy(word_a, word_b, word_c, word_to_vec_map):
    target = word_to_vec_map[word_b] - word_to_vec_map[word_a] + word_to_vec_map[word_c]
    return max(word_to_vec_map, key=lambda w: cosine_similarity(word_to_vec_map[w], target))


@mistake("complete_analogy", "skips only word_c, so it can return word_a or word_b")
def complete_analogy(word_a, word_b, word_c, word_to_vec_map):
    target = word_to_vec_map[word_b] - word_to_vec_map[word_a] + word_to_vec_map[word_c]
    return max((w for w in word_to_vec_map if w != word_c),
               key=lambda w: cosine_similarity(word_to_vec_map[w], target))


@mistake("complete_analogy", "reverses the offset: uses e_a - e_b + e_c instead of e_b - e_a + e_c")
def complete_analogy(word_a, word_b, word_c, word_to_vec_map):
    target = word_to_vec_map[word_a] - word_to_vec_map[word_b] + word_to_vec_map[word_c]
    return max((w for w in word_to_vec_map if w not in (word_a, word_b, word_c)),
               key=lambda w: cosine_similarity(word_to_vec_map[w], target))


@mistake("complete_analogy", "subtracts e_c: uses e_b - e_a - e_c instead of e_b - e_a + e_c")
def complete_analogy(word_a, word_b, word_c, word_to_vec_map):
    target = word_to_vec_map[word_b] - word_to_vec_map[word_a] - word_to_vec_map[word_c]
    return max((w for w in word_to_vec_map if w not in (word_a, word_b, word_c)),
               key=lambda w: cosine_similarity(word_to_vec_map[w], target))


@mistake("complete_analogy", "ranks words by the dot product with the target instead of the cosine similarity")
def complete_analogy(word_a, word_b, word_c, word_to_vec_map):
    target = word_to_vec_map[word_b] - word_to_vec_map[word_a] + word_to_vec_map[word_c]
    return max((w for w in word_to_vec_map if w not in (word_a, word_b, word_c)),
               key=lambda w: np.dot(word_to_vec_map[w], target))


@mistake("complete_analogy", "keeps the word with the smallest similarity (comparison the wrong way round)")
def complete_analogy(word_a, word_b, word_c, word_to_vec_map):
    target = word_to_vec_map[word_b] - word_to_vec_map[word_a] + word_to_vec_map[word_c]
    return min((w for w in word_to_vec_map if w not in (word_a, word_b, word_c)),
               key=lambda w: cosine_similarity(word_to_vec_map[w], target))


@rewrite("complete_analogy", "stacks the candidate vectors in a matrix and takes one argmax")
def complete_analogy(word_a, word_b, word_c, word_to_vec_map):
    target = word_to_vec_map[word_b] - word_to_vec_map[word_a] + word_to_vec_map[word_c]
    candidates = [w for w in word_to_vec_map if w not in {word_a, word_b, word_c}]
    M = np.array([word_to_vec_map[w] for w in candidates])
    scores = M @ target / (np.linalg.norm(M, axis=1) * np.linalg.norm(target))
    return candidates[int(np.argmax(scores))]


@rewrite("complete_analogy", "sorts the candidates by similarity and takes the last")
def complete_analogy(word_a, word_b, word_c, word_to_vec_map):
    target = word_to_vec_map[word_b] - word_to_vec_map[word_a] + word_to_vec_map[word_c]
    scored = sorted((cosine_similarity(e, target), w) for w, e in word_to_vec_map.items()
                    if w not in (word_a, word_b, word_c))
    return scored[-1][1]


# -------------------------------------------------------------------------------------- neutralize

@mistake("neutralize", "projects with the norm of g not squared (divides e . g by ||g||)")
def neutralize(word, g, word_to_vec_map):
    e = word_to_vec_map[word]
    return e - np.dot(e, g) / np.linalg.norm(g) * g


@mistake("neutralize", "forgets to divide the projection by ||g||^2 (right only when g has length 1)")
def neutralize(word, g, word_to_vec_map):
    e = word_to_vec_map[word]
    return e - np.dot(e, g) * g


@mistake("neutralize", "returns the bias component instead of the vector with it removed")
def neutralize(word, g, word_to_vec_map):
    e = word_to_vec_map[word]
    return np.dot(e, g) / np.dot(g, g) * g


@mistake("neutralize", "projects g onto e instead of e onto g")
def neutralize(word, g, word_to_vec_map):
    e = word_to_vec_map[word]
    return e - np.dot(e, g) / np.dot(e, e) * e


@rewrite("neutralize", "projects on the unit vector g / ||g||")
def neutralize(word, g, word_to_vec_map):
    u = g / np.linalg.norm(g)
    e = word_to_vec_map[word]
    return e - np.dot(e, u) * u


@rewrite("neutralize", "applies the projection matrix I - g g^T / (g^T g)")
def neutralize(word, g, word_to_vec_map):
    P = np.eye(len(g)) - np.outer(g, g) / np.dot(g, g)
    return P @ word_to_vec_map[word]


# ---------------------------------------------------------------------------------------- equalize

@mistake("equalize", "skips the rescaling: returns mu_orth + (e_wB - mu_B) without the sqrt(1 - ||mu_orth||^2) / norm factor")
def equalize(pair, bias_axis, word_to_vec_map):
    g = bias_axis
    e1, e2 = word_to_vec_map[pair[0]], word_to_vec_map[pair[1]]
    proj = lambda x: np.dot(x, g) / np.dot(g, g) * g
    mu = (e1 + e2) / 2
    mu_B = proj(mu)
    mu_orth = mu - mu_B
    return mu_orth + (proj(e1) - mu_B), mu_orth + (proj(e2) - mu_B)


@mistake("equalize", "projects with the norm of g not squared")
def equalize(pair, bias_axis, word_to_vec_map):
    g = bias_axis
    e1, e2 = word_to_vec_map[pair[0]], word_to_vec_map[pair[1]]
    proj = lambda x: np.dot(x, g) / np.linalg.norm(g) * g
    mu = (e1 + e2) / 2
    mu_B = proj(mu)
    mu_orth = mu - mu_B
    scale = np.sqrt(np.abs(1 - np.dot(mu_orth, mu_orth)))
    d1, d2 = proj(e1) - mu_B, proj(e2) - mu_B
    return mu_orth + scale * d1 / np.linalg.norm(d1), mu_orth + scale * d2 / np.linalg.norm(d2)


@mistake("equalize", "uses sqrt(1 - ||mu_orth||) (norm not squared) as the scale")
def equalize(pair, bias_axis, word_to_vec_map):
    g = bias_axis
    e1, e2 = word_to_vec_map[pair[0]], word_to_vec_map[pair[1]]
    proj = lambda x: np.dot(x, g) / np.dot(g, g) * g
    mu = (e1 + e2) / 2
    mu_B = proj(mu)
    mu_orth = mu - mu_B
    scale = np.sqrt(1 - np.linalg.norm(mu_orth))
    d1, d2 = proj(e1) - mu_B, proj(e2) - mu_B
    return mu_orth + scale * d1 / np.linalg.norm(d1), mu_orth + scale * d2 / np.linalg.norm(d2)


@mistake("equalize", "divides by ||e_w - mu|| instead of ||e_wB - mu_B||")
def equalize(pair, bias_axis, word_to_vec_map):
    g = bias_axis
    e1, e2 = word_to_vec_map[pair[0]], word_to_vec_map[pair[1]]
    proj = lambda x: np.dot(x, g) / np.dot(g, g) * g
    mu = (e1 + e2) / 2
    mu_B = proj(mu)
    mu_orth = mu - mu_B
    scale = np.sqrt(1 - np.dot(mu_orth, mu_orth))
    return (mu_orth + scale * (proj(e1) - mu_B) / np.linalg.norm(e1 - mu),
            mu_orth + scale * (proj(e2) - mu_B) / np.linalg.norm(e2 - mu))


@mistake("equalize", "uses the first word's bias component for both words, so both get the same vector")
def equalize(pair, bias_axis, word_to_vec_map):
    g = bias_axis
    e1, e2 = word_to_vec_map[pair[0]], word_to_vec_map[pair[1]]
    proj = lambda x: np.dot(x, g) / np.dot(g, g) * g
    mu = (e1 + e2) / 2
    mu_B = proj(mu)
    mu_orth = mu - mu_B
    scale = np.sqrt(1 - np.dot(mu_orth, mu_orth))
    d1 = proj(e1) - mu_B
    new = mu_orth + scale * d1 / np.linalg.norm(d1)
    return new, new.copy()


@rewrite("equalize", "works with the unit bias direction and mirrors the first word for the second")
def equalize(pair, bias_axis, word_to_vec_map):
    u = bias_axis / np.linalg.norm(bias_axis)
    e1, e2 = word_to_vec_map[pair[0]], word_to_vec_map[pair[1]]
    mu = (e1 + e2) / 2
    mu_orth = mu - np.dot(mu, u) * u
    side = np.sign(np.dot(e1 - e2, u))
    new1 = mu_orth + side * np.sqrt(1 - np.dot(mu_orth, mu_orth)) * u
    return new1, 2 * mu_orth - new1
