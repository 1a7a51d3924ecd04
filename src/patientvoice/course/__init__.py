"""The course: reading a course repository into typed objects, with every line number (loader, model,
schema, formats, sources) and the one parse of a module's blocks (blocks)."""
