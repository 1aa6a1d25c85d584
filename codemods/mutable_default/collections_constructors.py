# collections.defaultdict/OrderedDict/deque/Counter through `import collections`
import collections


def tally(word, by_len=collections.defaultdict(list), counts=collections.Counter(),
          recent=collections.deque(maxlen=3), order=collections.OrderedDict()):
    by_len[len(word)].append(word)
    counts[word] += 1
    recent.append(word)
    order[word] = True
    return by_len, counts, recent, order
