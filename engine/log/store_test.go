package log_test

import (
	"testing"

	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/log/logtest"
)

func memStore(*testing.T) log.Store { return log.NewMemStore() }

func TestMemStoreConformance(t *testing.T) { logtest.StoreConformance(t, memStore) }

func TestTornTailRecoveryMem(t *testing.T) { logtest.TornTail(t, memStore, 400) }

func TestCorruptByteRecoveryMem(t *testing.T) { logtest.CorruptByte(t, memStore, 300) }
