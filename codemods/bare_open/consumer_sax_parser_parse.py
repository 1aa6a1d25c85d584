# an `xml.sax` parser's `parse` reads the whole file before it returns: safe
import xml.sax
from xml.sax.handler import ContentHandler


def count_elements(path):
    counter = ContentHandler()
    parser = xml.sax.make_parser()
    parser.setContentHandler(counter)
    parser.parse(open(path, "rb"))
    return counter
