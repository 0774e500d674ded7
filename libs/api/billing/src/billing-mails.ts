const day = (d: Date) => d.toUTCString().slice(0, 16);

/** To each owner when a payment fails: what happens and when, and where to fix it. */
export function paymentFailedMail(to: string, tenantName: string, suspendsAt: Date, link: string) {
  return {
    to,
    fromName: 'Tenantry',
    subject: `Payment failed for ${tenantName}`,
    text: [
      `We could not collect the latest payment for ${tenantName}.`,
      `Everything keeps working until ${day(suspendsAt)}; after that the workspace becomes read-only (nothing is deleted) until the invoice is paid.`,
      `Update the payment method: ${link}`,
    ].join('\n'),
  };
}

/** To each owner a few days before a Stripe trial ends. */
export function trialWillEndMail(to: string, tenantName: string, planName: string, endsAt: Date, link: string) {
  return {
    to,
    fromName: 'Tenantry',
    subject: `The ${planName} trial of ${tenantName} ends on ${day(endsAt)}`,
    text: [
      `The ${planName} trial of ${tenantName} ends on ${day(endsAt)}; the subscription then starts with the payment method on file.`,
      `Billing: ${link}`,
    ].join('\n'),
  };
}
