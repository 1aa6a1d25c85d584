# Scrapy's signal manager holds receivers weakly (like django's): connecting a bound method is not a finding.
from scrapy import signals


class StatsExtension:
    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler.stats)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider):
        self.stats.set_value("closed", True)
