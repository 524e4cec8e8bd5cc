package holder

// IsFunctionWord exposes the function-word list to the external tests.
func IsFunctionWord(norm string) bool { return functionWords[norm] }
