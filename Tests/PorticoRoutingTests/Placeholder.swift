import Testing

// Placeholder; replaced by the suite's first real test.
