# `r`, bound from the session, is read at the top of the next iteration before it is bound again: the previous
# iteration's response is used after its session would be closed; reported, without a fix
import requests


def check(urls):
    r = None
    for url in urls:
        if r is not None:
            print(r.status_code)
        s = requests.session()
        r = s.get(url)
        s.close()
