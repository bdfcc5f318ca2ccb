package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestARestartedDashboardKeepsItsCodeAndToken(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".workshop", "classroom-server.json")
	first, err := settings(path, "")
	require.NoError(t, err)
	assert.Len(t, first.Code, 6)
	assert.Empty(t, strings.Trim(first.Code, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"), "a code has no 0/O or 1/I to misread")
	again, err := settings(path, "")
	require.NoError(t, err)
	assert.Equal(t, first.Code, again.Code, "a restart keeps the code, so that the learners stay joined")
	assert.Equal(t, first.Token, again.Token)
	chosen, err := settings(path, "ROOM42")
	require.NoError(t, err)
	assert.Equal(t, "ROOM42", chosen.Code, "-code picks the code")
	_, err = settings(path, strings.Repeat("X", 17))
	assert.Error(t, err, "a code longer than the dashboard takes is refused")
}
