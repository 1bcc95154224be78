import { ind } from '../../indicators';
import { latestValue } from './latest-value';

/** Applications for municipal housing per 1,000 inhabitants (SSB/KOSTRA 12008, the code read by label). */
export const housingApplications = latestValue(
  'municipal_housing_applications_per_1000',
  ind.municipalHousingApplicationsPer1000,
  'per 1000',
  { nb: 'søknader om kommunal bolig mangler (SSB/KOSTRA 12008)', en: 'applications for municipal housing are missing (SSB/KOSTRA 12008)' },
  { weightedReference: true, base: true },
);

/** Share of applications for municipal housing that were rejected, % (SSB/KOSTRA 12008, the code read by label). */
export const housingRejections = latestValue(
  'municipal_housing_rejected_share',
  ind.municipalHousingRejectedShare,
  '%',
  { nb: 'avslag på kommunal bolig mangler (SSB/KOSTRA 12008)', en: 'rejections of municipal housing are missing (SSB/KOSTRA 12008)' },
  { weightedReference: true },
);
