# A dict local to one call is not a cache kept across calls
def count_words(words):
    seen = {}
    for word in words:
        if word in seen:
            seen[word] += 1
        else:
            seen[word] = 1
    return seen
