"""Units (đơn vị): the ward's offices, centres, schools, organisations and residential groups."""
