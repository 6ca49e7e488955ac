//! What a password costs to try, in one place: the argon2id parameters every password hash and every
//! password-sealed key is made with. They were chosen by measurement (`cargo bench --bench
//! password`, figures in docs/performance.md): a whole sign-in — checking the hash, opening the
//! account's signing key and an administrator's centre key, three derivations — stays within half a
//! second on the two-core machine the tests run on, at 64 MiB and two passes (about 0.3 s): over three
//! times the memory × time of OWASP's minimum (19 MiB × 2, or 46 MiB × 1), for each guess an attacker with a
//! copy of the database makes.
//!
//! Hashes carry their parameters (the PHC string); a sealed key's salt carries them after its 16
//! random bytes. A bare 16-byte salt is from before: the library's defaults (OWASP's minimum), still
//! opened, and sealed again at today's cost at the next sign-in (as a hash is made again).

use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{CoreError, Result};

/// Memory per derivation, in KiB (64 MiB).
pub(crate) const MEMORY_KIB: u32 = 64 * 1024;
/// Passes over the memory.
pub(crate) const PASSES: u32 = 2;
/// Lanes (one: the cost is per guess, and a sign-in needs no parallelism).
pub(crate) const LANES: u32 = 1;
/// Random bytes of a salt.
pub(crate) const SALT_BYTES: usize = 16;

/// The parameters of a derivation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cost {
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
}

impl Cost {
    /// Today's cost.
    pub(crate) const CURRENT: Cost = Cost {
        memory_kib: MEMORY_KIB,
        passes: PASSES,
        lanes: LANES,
    };
    /// What keys were sealed with before the cost was chosen (argon2's defaults).
    pub(crate) const LEGACY: Cost = Cost {
        memory_kib: Params::DEFAULT_M_COST,
        passes: Params::DEFAULT_T_COST,
        lanes: Params::DEFAULT_P_COST,
    };

    /// argon2id at this cost, with 32-byte output.
    pub(crate) fn argon2(self) -> Result<Argon2<'static>> {
        let params = Params::new(self.memory_kib, self.passes, self.lanes, Some(32))
            .map_err(|e| CoreError::Database(format!("argon2 parameters refused: {e}")))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    /// Whether something made at this cost is weaker than today's and should be made again.
    pub(crate) fn is_below_current(self) -> bool {
        self.memory_kib < MEMORY_KIB || self.passes < PASSES
    }
}

/// A salt for sealing a key at today's cost: 16 random bytes, then the cost (three little-endian
/// u32: memory in KiB, passes, lanes).
pub(crate) fn sealing_salt(random: &[u8; SALT_BYTES]) -> Vec<u8> {
    let mut salt = random.to_vec();
    for part in [MEMORY_KIB, PASSES, LANES] {
        salt.extend_from_slice(&part.to_le_bytes());
    }
    salt
}

/// The random bytes of a stored salt and the cost it names (a bare salt: the legacy cost).
pub(crate) fn read_sealing_salt(salt: &[u8]) -> Option<(&[u8], Cost)> {
    match salt.len() {
        SALT_BYTES => Some((salt, Cost::LEGACY)),
        n if n == SALT_BYTES + 12 => {
            let word = |i: usize| {
                let at = SALT_BYTES + 4 * i;
                salt.get(at..at + 4)
                    .and_then(|b| <[u8; 4]>::try_from(b).ok())
                    .map(u32::from_le_bytes)
            };
            let cost = Cost {
                memory_kib: word(0)?,
                passes: word(1)?,
                lanes: word(2)?,
            };
            Some((&salt[..SALT_BYTES], cost))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_salt_carries_its_cost_and_a_bare_one_means_the_old_defaults() {
        let random = [7u8; SALT_BYTES];
        let salt = sealing_salt(&random);
        assert_eq!(read_sealing_salt(&salt), Some((&random[..], Cost::CURRENT)));
        assert_eq!(
            read_sealing_salt(&random),
            Some((&random[..], Cost::LEGACY))
        );
        assert_eq!(read_sealing_salt(&[1, 2, 3]), None);
        assert!(Cost::LEGACY.is_below_current());
        assert!(!Cost::CURRENT.is_below_current());
    }

    #[test]
    fn todays_cost_is_well_above_owasps_minimum() {
        // OWASP's Password Storage Cheat Sheet: argon2id with m=19 MiB, t=2 (or 46 MiB, t=1) at least.
        let work = u64::from(MEMORY_KIB) * u64::from(PASSES);
        assert!(work >= 2 * 19 * 1024 * 2, "{work}");
        assert!(work >= 2 * 46 * 1024);
    }
}
