/* see include/CHostAtomics.h */
