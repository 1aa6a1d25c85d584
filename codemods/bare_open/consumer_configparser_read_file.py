# `ConfigParser.read_file` reads the whole file at once: safe
import configparser


def settings(path):
    parser = configparser.ConfigParser()
    f = open(path)
    parser.read_file(f)
    f.close()
    return parser
