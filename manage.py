#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    from association.local_env import local_env_load

    local_env_load()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "association.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
