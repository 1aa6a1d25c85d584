# grows the list it is given
def put(bucket, item):
    bucket.append(item)
