# The tests of spp_api_base's pieces run in the apps that use them
# (spp_api_v2, g2p_programs_rest_api) and in tests/unit; docs_pages and
# accept_language hold the checks both apps run. Here: the Apps pages of every
# addon, and the write horizon (its setting, its snapshot).
from . import test_apps_pages, test_write_horizon
