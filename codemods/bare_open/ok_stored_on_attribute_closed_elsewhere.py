# an object stored on an attribute that some code closes, in any class or function: the owner closes it, no finding
import socket
import sqlite3

from flask import g


def get_db(path):
    if "db" not in g:
        g.db = sqlite3.connect(path)
    return g.db


def close_db(e=None):
    db = g.pop("db", None)
    if db is not None:
        db.close()


class Client:
    def connect(self, address):
        self.conn = socket.create_connection(address)
        self.log = open("client.log", "a")


def stop(client):
    client.conn.close()
    log = client.log
    log.close()
