# a counter kept in a one-element list (`n=[0]`) is changed in place and never grows: no leak, no finding
def next_id(prefix, n=[0]):
    n[0] += 1
    return f"{prefix}{n[0]}"


def number_lines(lines):
    def emit(line, num_lines=[0, 0]):
        num_lines[0] = num_lines[0] + 1
        return f"{num_lines[0]}: {line}"

    return [emit(line) for line in lines]
