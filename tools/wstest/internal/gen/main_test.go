package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTheGeneratedWrappersAreUpToDate(t *testing.T) {
	for name, text := range files {
		want, err := generate(text)
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join("..", "..", name))
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), "tools/wstest/%s is not what the list in internal/gen makes: run go generate ./tools/wstest/...", name)
	}
}
