# The tests of spp_api_base's pieces run in the apps that use them
# (spp_api_v2, g2p_programs_rest_api) and in tests/unit; docs_pages holds the
# docs-page checks both apps run. Here: the Apps pages of every addon.
from . import test_apps_pages
