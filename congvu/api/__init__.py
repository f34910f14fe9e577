import warnings

# Registers are called `register` in every model and URL; pydantic warns that the name shadows
# `ABCMeta.register` (class registration for abstract base classes), which no schema uses.
warnings.filterwarnings("ignore", message=r'Field name "register" in ".*" shadows', category=UserWarning)
