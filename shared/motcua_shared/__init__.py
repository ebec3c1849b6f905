"""motcua common library: messaging backbone, web plumbing, reference data and working-time rules shared by the five services."""
