# an `xml.sax` parser's `parse` (and `xml.sax.parse`) closes its source when done, on error too: no finding
import xml.sax
from xml.sax.handler import ContentHandler


def count_elements(path):
    counter = ContentHandler()
    parser = xml.sax.make_parser()
    parser.setContentHandler(counter)
    parser.parse(open(path, "rb"))
    return counter


def count_again(path):
    counter = ContentHandler()
    f = open(path, "rb")
    xml.sax.parse(f, counter)
    return counter
