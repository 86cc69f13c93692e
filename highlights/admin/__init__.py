"""Where town staff edit the site, by concern: the units' editing core (units), publishing
(publishing), the content's own pages (content), the lists' filters (filters) and the site's
identity (site). Importing the modules registers their admin classes."""

from . import columns, content, site  # noqa: F401 - registers the ModelAdmins
