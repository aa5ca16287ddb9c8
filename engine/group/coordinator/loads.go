package coordinator

// follow keeps a coordinator's state of partition p of its internal topic
// (__consumer_offsets, __transaction_state, __share_group_state) in step
// with the broker's leadership of it: loaded (at the leader epoch it was
// loaded in) while the broker leads, loaded again when the epoch changed,
// unloaded when it stopped leading. It reports whether the broker leads p.
// The group, transaction and share coordinators share it.
func follow(loaded map[int32]int32, p, epoch int32, leads bool, load func(p, epoch int32), unload func(p int32, why string)) bool {
	at, was := loaded[p]
	switch {
	case !leads:
		if was {
			unload(p, "it no longer leads the partition")
		}
		return false
	case !was:
		load(p, epoch)
	case at != epoch:
		unload(p, "leadership changed")
		load(p, epoch)
	}
	return true
}
